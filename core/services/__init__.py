"""The core's services, one per area, composed by `core.engine.Engine` over one Context."""
