"""TODO paperfields.names."""
