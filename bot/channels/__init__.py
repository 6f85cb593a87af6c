"""Thin adapters: a channel's message in, a Service call, the reply rendered back."""
