#!/usr/bin/env bash
# Regenerates the checked-in Java for regula-mlp.proto with protoc 3.25.6 (the protobuf version of Tribuo 4.3.2).
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q dependency:get -Dartifact=com.google.protobuf:protoc:3.25.6:exe:linux-x86_64
PROTOC="$HOME/.m2/repository/com/google/protobuf/protoc/3.25.6/protoc-3.25.6-linux-x86_64.exe"
chmod +x "$PROTOC"
"$PROTOC" --java_out=../../java regula-mlp.proto
