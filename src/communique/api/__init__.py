"""The HTTP interface: the FastAPI application (app) and the web UI it serves (web/)."""
