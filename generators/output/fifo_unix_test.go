//go:build unix

package output

import "syscall"

func mkfifo(path string) { syscall.Mkfifo(path, 0o644) }
