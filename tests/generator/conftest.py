from runtime.wsserver import server

__all__ = ["server"]
