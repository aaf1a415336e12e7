"""remitctl: who handles this right now? Partnership remits and cover for UK police."""

__version__ = "0.2.0"
