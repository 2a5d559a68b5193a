"""Only the package list: gridstation and its subpackages, plus resources/ and db/ mapped into
the wheel as gridstation/resources and gridstation/migrations (see pyproject.toml)."""
from setuptools import find_packages, setup

setup(packages=find_packages(include=["gridstation", "gridstation.*"])
      + ["gridstation.resources", "gridstation.migrations", "gridstation.migrations.versions"])
