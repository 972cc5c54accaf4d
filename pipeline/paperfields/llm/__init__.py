"""TODO paperfields.llm."""
