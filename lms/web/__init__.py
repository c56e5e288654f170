"""What every response carries, whatever the domain: security headers, compression, static files."""
