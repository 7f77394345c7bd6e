//go:build !linux

package output

import (
	"os"
	"runtime"
	"sync"
)

// syncFiles makes the written files durable, syncing several at a time:
// the file system then groups the flushes.
func syncFiles(paths []string) error {
	work := make(chan string)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range max(4, runtime.GOMAXPROCS(0)*2) {
		wg.Go(func() {
			for p := range work {
				if err := syncFile(p); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for _, p := range paths {
		if p != "" {
			work <- p
		}
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
