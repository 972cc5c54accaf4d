"""TODO paperfields.extract.offline."""
