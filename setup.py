"""Only the package list: gridstation and its subpackages, plus resources/, db/ and ui/ mapped into
the wheel as gridstation/resources, gridstation/migrations and gridstation/ui (pyproject.toml maps the folders), each
data folder listed as a package of its own so that setuptools takes its files."""
from pathlib import Path

from setuptools import find_packages, setup

ROOT = Path(__file__).resolve().parent
data = {"gridstation.resources": ROOT / "resources", "gridstation.migrations": ROOT / "db",
        "gridstation.ui": ROOT / "ui"}
packages = find_packages(include=["gridstation", "gridstation.*"])
package_data = {}
for name, folder in data.items():
    for sub in [folder, *sorted(p for p in folder.rglob("*") if p.is_dir() and p.name != "__pycache__")]:
        pkg = ".".join([name, *sub.relative_to(folder).parts])
        packages.append(pkg)
        package_data[pkg] = ["*"]

setup(packages=packages, package_data=package_data)
