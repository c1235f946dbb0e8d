"""Local text generation with llama.cpp: model choice, prompts, streaming."""
