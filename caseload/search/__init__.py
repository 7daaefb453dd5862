"""Finding a client (also a former one) or an employer from the navigation's search box."""
