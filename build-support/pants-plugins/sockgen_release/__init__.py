"""This repository's own release plumbing (not shipped): one version for every distribution."""
