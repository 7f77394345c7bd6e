#!/usr/bin/env bash
# Builds kube-apiserver from the module beside this script, once per
# version, and prints the path of the cached binary. The Kubernetes
# tests look for it at the same place:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/portschema/kube-apiserver/<version>/kube-apiserver
# A cold build takes 6-13 minutes on two cores; later runs reuse the
# binary in well under a second.
set -euo pipefail
cd "$(dirname "$0")"

version=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { print $3 }' go.mod)
if [ -z "$version" ]; then
	echo "build.sh: no k8s.io/kubernetes version in go.mod" >&2
	exit 1
fi
minor=${version#v1.}
minor=${minor%%.*}

dir="${XDG_CACHE_HOME:-$HOME/.cache}/portschema/kube-apiserver/$version"
bin="$dir/kube-apiserver"
if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
	echo "$bin"
	exit 0
fi

mkdir -p "$dir"
# Build beside the final path and rename, so an interrupted build never
# leaves a binary the tests would take for a good one.
tmp=$(mktemp "$dir/kube-apiserver.XXXXXX")
trap 'rm -f "$tmp"' EXIT
echo "build.sh: building kube-apiserver $version (minutes on a cold cache)" >&2
go build -mod=readonly -trimpath -o "$tmp" \
	-ldflags "-s -w \
		-X k8s.io/component-base/version.gitVersion=$version \
		-X k8s.io/component-base/version.gitMajor=1 \
		-X k8s.io/component-base/version.gitMinor=$minor" \
	k8s.io/kubernetes/cmd/kube-apiserver
chmod 755 "$tmp"
mv -f "$tmp" "$bin"
trap - EXIT
echo "$bin"
