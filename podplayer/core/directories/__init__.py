"""Podcast directories (iTunes, fyyd, Podcast Index): one client each, results merged."""
