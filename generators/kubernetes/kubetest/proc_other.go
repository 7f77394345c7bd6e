//go:build !linux

package kubetest

import "syscall"

// dieWithParent has no portable equivalent outside Linux; Close stops
// the servers.
func dieWithParent() *syscall.SysProcAttr { return nil }
