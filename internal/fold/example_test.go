package fold_test

import (
	"fmt"

	"github.com/govshare/govshare/internal/fold"
)

// A code typed with a Chinese input method in full-width forms folds to
// ASCII; the Chinese punctuation stays.
func ExampleWidth() {
	fmt.Println(fold.Width("ＡＢＣ１２３　户籍、婚姻"))
	// Output: ABC123 户籍、婚姻
}

// ToASCII folds a value typed in full-width forms to ASCII, with true;
// anything else (plain ASCII, or text that does not fold to ASCII) comes
// back as it was, with false.
func ExampleToASCII() {
	fmt.Println(fold.ToASCII("１０１００１"))
	fmt.Println(fold.ToASCII("一，二"))
	// Output:
	// 101001 true
	// 一，二 false
}
