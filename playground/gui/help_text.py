"""The Help menu's texts."""

GETTING_STARTED = """<h3>A first run</h3>
<ol>
<li><b>Settings</b> (left): keep <b>seed-cnn</b> and <b>mnist</b>, 1 epoch, batch size 64, learning rate 0.001,
optimizer adam. Hover any setting to see what it does.</li>
<li>Press <b>Train</b> (Ctrl+Enter). MNIST loads (or downloads once), then the plots fill:
the training loss per step, and after each epoch the test loss and accuracy.</li>
<li><b>Pause</b> (Ctrl+P) and <b>Resume</b>, or <b>Stop</b> (Esc): a stopped run keeps what it measured.</li>
<li>When the run has ended, <b>File › Save model</b> (Ctrl+S). <b>Draw</b> a digit on the right to see what the
network thinks; <b>File › Open model</b> (Ctrl+O) brings a saved one back.</li>
</ol>
<p>No download possible? Choose <b>spiral</b> with <b>mlp</b>: a run of a few seconds.</p>"""

ABOUT = """<h3>playground</h3>
<p>A desktop app to learn and try out deep learning with PyTorch: train, watch, draw.</p>
<p>Every run can be repeated headless: <i>File › Save settings as TOML</i>, then
<code>playground train --config FILE</code>.</p>"""

TOPICS = {"getting_started": ("Getting started", GETTING_STARTED), "about": ("About playground", ABOUT)}
