"""Controllers: each is handed the session model and the views it drives, and is testable without a window."""
