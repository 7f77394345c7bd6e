package kubetest

import "syscall"

// dieWithParent makes the kernel kill a started server when the test
// process dies, so that a crashed test leaves nothing running.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
