"""The services behind the network commands (no click here)."""
