"""The registry: reading `remits.yaml`, validating it and the model the rest of remitctl uses."""
