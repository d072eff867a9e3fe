"""The Runs panel: every run of the run store in a table (the app's, the CLI's, other machines' in a shared
folder), to sort, filter, rename, annotate, delete, overlay in the plots, compare, open, continue and follow."""
