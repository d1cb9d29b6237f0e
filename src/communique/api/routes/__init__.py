"""One module per page or resource of the API; ``communique.api.app.ROUTES`` lists every route and its view."""
