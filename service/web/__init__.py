"""Server-rendered pages: teacher sign-in and tools, and the student practice page."""
