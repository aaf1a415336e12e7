"""remitctl: who handles this right now? Partnership remits and cover for UK police."""

__version__ = "0.1.0"
