"""What people read: Webex markdown (`markdown`), terminal text (`text`), the evidence read from certificates,
captures and screenshots (`evidence`), and HTML for the local page (`html`)."""
