"""The web service: the Flask app factory, the Webex webhooks, the local page and a development server."""
