"""Writing fixtures, or checking them, the same way for both scripts that make them
(generate_fixtures.py and e2e_fixtures.py): each file replaced whole (a temporary file in its
folder, then a rename), so an interrupted run never leaves half a fixture behind."""
import os
import tempfile

FIXTURES = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_or_check(texts, check):
    """texts: Fixtures-relative path -> its text. With check, nothing is written and the paths
    whose file differs or is missing are returned; else each is written (and named on stdout)."""
    stale = []
    for relative, text in texts.items():
        path = os.path.join(FIXTURES, relative)
        if check:
            try:
                with open(path, encoding="utf-8") as handle:
                    if handle.read() != text:
                        stale.append(relative)
            except FileNotFoundError:
                stale.append(relative)
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=os.path.dirname(path), delete=False) as out:
            out.write(text)
        os.chmod(out.name, 0o644)
        os.replace(out.name, path)
        print(f"wrote Fixtures/{relative} ({len(text)} bytes)")
    return stale
