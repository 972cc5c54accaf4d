"""TODO paperfields.compare."""
