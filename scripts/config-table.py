"""Prints the README's configuration table from conf/application.yaml (keys, defaults, comments)."""
import re
import sys

path, rows = [], []
for line in open(sys.argv[1] if len(sys.argv) > 1 else 'conf/application.yaml'):
    if not line.strip() or line.lstrip().startswith('#'):
        continue
    indent = len(line) - len(line.lstrip())
    m = re.match(r'\s*([A-Za-z]+):\s*(.*)$', line.rstrip())
    if not m:
        continue
    key, rest = m.groups()
    path = path[:indent // 2] + [key]
    value, _, comment = rest.partition('#')
    if not value.strip():
        continue
    p = '.'.join(path)
    env = 'PM_' + re.sub(r'([A-Z])', r'_\1', p.replace('.', '_')).upper()
    rows.append((p, env, value.strip(), comment.strip()))
print('| setting | variable | default | meaning |')
print('|---|---|---|---|')
for p, env, value, comment in rows:
    comment = comment.replace('|', '\\|')
    print(f'| `{p}` | `{env}` | `{value}` | {comment} |')
