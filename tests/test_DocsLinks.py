"""Every relative link in README.md and docs/*.md resolves in a clone: to a file of the
repository (never outside it, like ../shared/), and to a heading when it names one."""

import re
import tempfile
import unittest
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
# [text](target) and [text](target "title"); images too.
MARKDOWN_LINK = re.compile(r'\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)')
HEADING = re.compile(r'^#{1,6}\s+(.+?)\s*#*\s*$', re.MULTILINE)
FENCED_CODE = re.compile(r'^```.*?^```', re.MULTILINE | re.DOTALL)


def documents():
  """README.md and every Markdown file under docs/."""
  return [REPOSITORY_ROOT / 'README.md', *sorted((REPOSITORY_ROOT / 'docs').glob('*.md'))]


def relative_links(markdown):
  """The link targets that are not URLs (http:, mailto:, …), outside code blocks."""
  text = FENCED_CODE.sub('', markdown)
  return [
    target
    for target in MARKDOWN_LINK.findall(text)
    if not re.match(r'^[a-z][a-z0-9+.-]*:', target, re.IGNORECASE)
  ]


def heading_anchors(markdown):
  """The anchors GitHub makes of a file's headings: lower case, punctuation dropped, '-' for spaces."""
  anchors = set()
  for heading in HEADING.findall(FENCED_CODE.sub('', markdown)):
    text = re.sub(r'[`*_]|\[([^\]]*)\]\([^)]*\)', r'\1', heading).strip().lower()
    anchors.add(re.sub(r'[^\w\- ]', '', text).replace(' ', '-'))
  return anchors


def broken_links(document, root=REPOSITORY_ROOT):
  """'target: why' for each relative link of `document` that does not resolve inside `root`."""
  broken = []
  for target in relative_links(document.read_text()):
    path_part, _, anchor = target.partition('#')
    resolved = (document.parent / path_part).resolve() if path_part else document
    if root not in resolved.parents and resolved != root:
      broken.append(f'{target}: outside the repository')
    elif not resolved.exists():
      broken.append(f'{target}: no such file')
    elif (
      anchor and resolved.suffix == '.md' and anchor not in heading_anchors(resolved.read_text())
    ):
      broken.append(f'{target}: no such heading')
  return broken


class DocsLinksTest(unittest.TestCase):
  def test_every_relative_link_of_the_readme_and_docs_resolves_in_the_repository(self):
    checked = 0
    for document in documents():
      with self.subTest(document=document.name):
        self.assertEqual(broken_links(document), [])
      checked += len(relative_links(document.read_text()))
    self.assertGreater(checked, 5)

  def test_the_checker_refuses_what_a_clone_would_not_have(self):
    with tempfile.TemporaryDirectory() as folder:
      outside = Path(folder).resolve()
      root = outside / 'clone'
      (root / 'docs').mkdir(parents=True)
      (outside / 'shared').mkdir()
      (outside / 'shared' / 'API.md').write_text('# API\n')
      (root / 'README.md').write_text('# Dibz\n## The API\n')
      sample = root / 'docs' / 'SAMPLE.md'
      sample.write_text(
        '# Title\n[contract](../../shared/API.md) [gone](NOPE.md) [ok](../README.md#the-api) '
        '[bad anchor](#no-such-part) [web](https://example.org/x) [self](#title)\n'
        '```\n[in code](ignored.md)\n```\n'
      )
      self.assertEqual(
        broken_links(sample, root),
        [
          '../../shared/API.md: outside the repository',
          'NOPE.md: no such file',
          '#no-such-part: no such heading',
        ],
      )
