"""Chatbot for commune officials: logs meetings, documents and dossiers, and measures the plan's targets."""
