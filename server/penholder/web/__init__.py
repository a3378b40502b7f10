"""The HTTP and websocket edge: Starlette routes that parse, call one function, shape."""

from penholder.web.app import create_app

__all__ = ["create_app"]
