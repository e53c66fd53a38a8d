"""The chat bot: what it answers (responder, commands), how it talks to Webex (worker, webex client, cards),
what it keeps (storage), and its configuration and access rules."""
