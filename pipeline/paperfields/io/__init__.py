"""TODO paperfields.io."""
