"""Code for the catalogue's maintainers; never imported by the command line."""
