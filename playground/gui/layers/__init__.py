"""The layer editor: a custom network built as a list of torch.nn layers, checked as it is edited.

stack_model (the list as a Qt table model, its shape column and drag and drop), commands (every edit an undoable
QUndoCommand), values (an argument's text and value), palette, layer_form (one layer's arguments), shape_job (the
shape check off the GUI thread), editor (the widget, objectName layerEditor) and wiring (the settings panel, the
dock, "Edit as layers", saved networks in the architecture list).
"""
