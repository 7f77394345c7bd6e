//go:build !unix

package stamp

func mkfifo(string) {}
