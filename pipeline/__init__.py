"""paperfields: turn scientific paper abstracts into validated, structured, comparable records."""
