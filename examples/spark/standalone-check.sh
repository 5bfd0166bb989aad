#!/usr/bin/env bash
# Runs a small grid on a Spark standalone master and worker started from the Maven jars on this machine, so that the
# executors are JVMs of their own (what proves trials travel as configuration text), then the same grid on the
# local runner, and compares grid.csv (the seconds column aside) and every trial's model provenance (volatile keys
# aside). Stops the master and worker it started. Needs the reactor compiled first, from the repository root:
#   mvn -B -ntp -q compile && examples/spark/standalone-check.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d /tmp/regula-standalone.XXXXXX)"
ours="$root/examples/spark/target/classes:$root/examples/target/classes:$root/tribuo-regularization/target/classes"
mvn -B -ntp -q -f "$root/examples/spark/pom.xml" dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >&2
# the installed Regula snapshots are replaced by the freshly compiled classes
deps=$(tr ':' '\n' < "$work/cp.txt" | grep -v -e '/tribuo-regularization-' -e '/regula-examples-' | paste -sd: -)
opts=$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' "$root/examples/spark/pom.xml")
# A worker launches executors from SPARK_HOME/jars: a SPARK_HOME made of links to the Maven jars.
export SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.13
mkdir -p "$SPARK_HOME/jars" && touch "$SPARK_HOME/RELEASE"
for j in $(echo "$deps" | tr ':' '\n'); do ln -sf "$j" "$SPARK_HOME/jars/"; done
port=${REGULA_SPARK_PORT:-7177}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
# shellcheck disable=SC2086
java -Xmx512m $opts -cp "$deps" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
  --webui-port 0 > "$work/master.log" 2>&1 &
pids+=($!)
sleep 8
# shellcheck disable=SC2086
java -Xmx512m $opts -cp "$deps" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 2 --memory 2g \
  --webui-port 0 --work-dir "$work/worker" "spark://127.0.0.1:$port" > "$work/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do grep -q 'Successfully registered with master' "$work/worker.log" && break; sleep 1; done
grid=(grid --hidden 8 --epochs 1 --threads 1 --seeds 2 --param optimiser.learningRate=0.001,0.003)
# shellcheck disable=SC2086
java -Xmx2g $opts -Dspark.executor.extraClassPath="$ours" -Dspark.executor.memory=1g -Dspark.driver.host=127.0.0.1 \
  -cp "$ours:$deps" dev.regula.examples.cli.RegulaCli "${grid[@]}" --out "$work/spark" --spark "spark://127.0.0.1:$port"
java -Xmx2g -cp "$ours:$deps" dev.regula.examples.cli.RegulaCli "${grid[@]}" --out "$work/local" --parallel-trials 2
grep -h '^worker=' "$work/spark/trials/"*.properties
diff <(cut -d, -f1-6,8- "$work/local/grid.csv") <(cut -d, -f1-6,8- "$work/spark/grid.csv")
echo "grid.csv: identical (seconds aside)"
cat > "$work/ProvCheck.java" <<'JAVA'
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import dev.regula.experiment.ProvenanceDiff;
import java.nio.file.Files;
import java.nio.file.Path;
public class ProvCheck {
    public static void main(String[] a) throws Exception {
        var json = new JsonProvenanceSerialization(true);
        int differing = 0;
        try (var s = Files.list(Path.of(a[0]))) {
            for (Path p : s.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
                var d = ProvenanceDiff.of(json.deserializeAndUnmarshal(Files.readString(p)),
                        json.deserializeAndUnmarshal(Files.readString(Path.of(a[1]).resolve(p.getFileName()))));
                System.out.println(p.getFileName() + (d.isEmpty() ? ": identical provenance (volatile keys aside)" : ": " + d));
                differing += d.isEmpty() ? 0 : 1;
            }
        }
        System.exit(differing);
    }
}
JAVA
java -cp "$ours:$deps" "$work/ProvCheck.java" "$work/local/trials" "$work/spark/trials"
echo "standalone check passed ($work)"
