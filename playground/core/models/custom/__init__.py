"""Custom networks: a network written as a list of torch.nn layers (TOML data), input sizes inferred.

spec.parse_layers (data -> LayerSpecs, ConfigError), shapes.check_shapes (shapes, parameters, memory, the first
layer that cannot take its input), build.build_network (an nn.Sequential), builtin_stacks.stack_of (the built-in
stacks as layers), source.network_source (plain PyTorch code). layer_types describes every supported type once.
"""
