#!/usr/bin/env bash
# Installs the two JVM Jupyter kernels the Regula notebooks use, from Maven Central, into a project-local Jupyter
# data directory (default: examples/target/jupyter), so nothing is written to ~/.local/share/jupyter:
#   kernels/kotlin                 Kotlin kernel org.jetbrains.kotlinx:kotlin-jupyter-kernel 0.11.0-398 (Kotlin 1.8.20)
#   kernels/rapaio-jupyter-kernel  JShell-based Java kernel io.github.padreati:rapaio-jupyter-kernel 3.0.1
# Use them with:  JUPYTER_PATH=<dir> jupyter notebook   (or jupyter nbconvert --execute, or run_notebooks.py).
# Both kernels resolve notebook dependencies by Maven coordinates from the local Maven repository
# (REGULA_M2_REPOSITORY, default ~/.m2/repository), where `mvn install` puts Regula, and from Maven Central.
# Idempotent: re-running re-resolves the kernels (from ~/.m2 once downloaded) and rewrites the kernel specs.
# Needs java (17+), mvn and python3 on PATH. Usage: install-kernels.sh [JUPYTER_DATA_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-$here/../target/jupyter}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
java_bin="$(command -v java)"
java_bin="$(readlink -f "$java_bin")"
mvn_flags=(-B -ntp -q)
m2="${REGULA_M2_REPOSITORY:-$HOME/.m2/repository}"
mkdir -p "$m2"

# Kotlin: the kernel runs from its Maven classpath (40 jars).
kt="$dir/kernels/kotlin"
mkdir -p "$kt"
mvn "${mvn_flags[@]}" -f "$here/kernels/kotlin/pom.xml" dependency:build-classpath -Dmdep.outputFile="$kt/classpath.txt"
cp "$here/kernels/kotlin/logback.xml" "$kt/logback.xml"

# Java: rapaio's jar is self-contained; it resolves its cache directory (RJK_MIMA_CACHE) relative to the jar's
# own directory, so the jar is copied into the kernel directory, as its own installer does.
rjk="$dir/kernels/rapaio-jupyter-kernel"
mkdir -p "$rjk"
mvn "${mvn_flags[@]}" -f "$here/kernels/java/pom.xml" dependency:copy-dependencies -DoutputDirectory="$rjk"
# rapaio's %dependency resolves with MiMa (Maven Resolver) into RJK_MIMA_CACHE, its local repository, which it
# takes relative to the jar's directory. Making that the Maven local repository lets `%dependency /add` find
# artifacts that `mvn install` put there (and share what both download) instead of a second, private cache.
if [ -d "$rjk/mima_cache" ] && [ ! -L "$rjk/mima_cache" ]; then
  rm -rf "$rjk/mima_cache"
fi
ln -sfn "$m2" "$rjk/mima_cache"

python3 - "$java_bin" "$kt" "$rjk" <<'PY'
import json, os, sys
java, kt, rjk = sys.argv[1:]
cp = open(os.path.join(kt, "classpath.txt")).read().strip().split(os.pathsep)
def jar(prefix):
    hits = [p for p in cp if os.path.basename(p).startswith(prefix)]
    if not hits:
        sys.exit("install-kernels: no %s jar on the Kotlin kernel classpath" % prefix)
    return hits[0]
# Jars the kernel puts on the notebook's own (script) classpath, as upstream's run_kernel.py does.
script_cp = [jar("kotlin-jupyter-api-"), jar("kotlin-jupyter-lib-"), jar("kotlin-stdlib-1"),
             jar("kotlin-reflect-"), jar("kotlin-script-runtime-")]
kotlin = {
    "argv": [java, "-Dlogback.configurationFile=" + os.path.join(kt, "logback.xml"),
             "-cp", os.pathsep.join(cp), "org.jetbrains.kotlinx.jupyter.IkotlinKt",
             "-classpath=" + os.pathsep.join(script_cp), "{connection_file}", "-home=" + kt],
    "display_name": "Kotlin (kotlin-jupyter 0.11.0-398)",
    "language": "kotlin",
    "interrupt_mode": "message",
}
java_kernel = {
    "argv": [java, "-jar", os.path.join(rjk, "rapaio-jupyter-kernel-3.0.1.jar"), "{connection_file}"],
    "display_name": "Java (rapaio-jupyter-kernel 3.0.1)",
    "language": "java",
    "interrupt_mode": "message",
    "env": {"RJK_CLASSPATH": "", "RJK_COMPILER_OPTIONS": "", "RJK_INIT_SCRIPT": "",
            "RJK_TIMEOUT_MILLIS": "-1", "RJK_MIMA_CACHE": "mima_cache"},
}
for d, spec in ((kt, kotlin), (rjk, java_kernel)):
    with open(os.path.join(d, "kernel.json"), "w") as f:
        json.dump(spec, f, indent=1)
PY
echo "Installed Jupyter kernels 'kotlin' and 'rapaio-jupyter-kernel' in $dir/kernels (use JUPYTER_PATH=$dir)"
