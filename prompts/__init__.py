"""The versioned prompt files of the LLM stage (`<name>.md`: a `---` header with name, version and
response schema, then the system text). A package only so that wheels carry the files."""
