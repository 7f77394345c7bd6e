//go:build !unix

package output

func mkfifo(string) {}
