"""TODO paperfields.orchestrator."""
