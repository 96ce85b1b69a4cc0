"""Oracle for test/integration/config/oslo-ini.oracle.test.ts: how oslo.config reads files.

stdin: a JSON list of cases, each a list of paths of config files (read in that order).
stdout: a JSON list, one answer per case:
  {"parser": [per file: {"sections": normalised name -> key -> [values]}
                       | {"error": {"line": n, "msg": text}}],
   "opts": {"sections": normalised name -> key -> [values of every file, in order]}
         | {"error": text}}
"parser" is oslo_config.cfg.ConfigParser (an oslo_config.iniparser.BaseParser) reading each
file on its own; "opts" is a fresh oslo_config.cfg.ConfigOpts given every file with
--config-file, as congress-server is, and asked for each option's values the way a MultiStrOpt
lookup does.
"""
import json
import sys

from oslo_config import cfg
from oslo_config import iniparser


def parse_one(path):
    normalized = {}
    parser = cfg.ConfigParser(path, {})
    parser._add_normalized(normalized)
    try:
        parser.parse()
    except iniparser.ParseError as pe:
        return {"error": {"line": pe.lineno, "msg": pe.msg}}
    return {"sections": normalized}


def parse_with_opts(paths):
    conf = cfg.ConfigOpts()
    args = []
    for path in paths:
        args += ["--config-file", path]
    try:
        conf(args=args, project="congress-oracle", default_config_files=[],
             default_config_dirs=[], use_env=False)
    except cfg.ConfigFileParseError as err:
        return {"error": str(err)}
    namespace = conf._namespace
    out = {}
    # _normalized holds one dict per file, the last file first.
    for normalized in reversed(namespace._normalized):
        for section, options in normalized.items():
            into = out.setdefault(section, {})
            for key in options:
                if key not in into:
                    into[key], _ = namespace._get_file_value(
                        [(section, key)], multi=True, normalized=True)
    return {"sections": out}


def main():
    cases = json.load(sys.stdin)
    answers = []
    for paths in cases:
        answers.append({"parser": [parse_one(p) for p in paths],
                        "opts": parse_with_opts(paths)})
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()
