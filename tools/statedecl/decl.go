package statedecl

import (
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"os"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/hotrestart/tamago-hr/actors"
)

const actorsPath = "github.com/hotrestart/tamago-hr/actors"

// decls is what the firmware declares: layouts by state name, and
// migrations as pairs of layouts (hex).
type decls struct {
	states map[string][]string
	migs   [][2]string
}

// lines are the manifest lines, sorted.
func (d *decls) lines() []string {
	var out []string
	for name, ls := range d.states {
		out = append(out, fmt.Sprintf("state.%s=%s\n", name, strings.Join(ls, " ")))
	}
	slices.Sort(out)
	slices.SortFunc(d.migs, func(a, b [2]string) int { return strings.Compare(a[0]+a[1], b[0]+b[1]) })
	for i, m := range d.migs {
		out = append(out, fmt.Sprintf("statemig.%d=%s %s\n", i, m[0], m[1]))
	}
	return out
}

// Lines are the manifest lines of the states and migrations the firmware
// package pkg (in module directory dir, built with tags and env: the
// tamago-go compiler's, for GOOS=tamago) declares, sorted; an error names
// the declaration the build cannot record.
func Lines(dir string, env []string, tags, pkg string) ([]string, error) {
	d, err := declarations(dir, env, tags, pkg)
	if err != nil {
		return nil, err
	}
	return d.lines(), nil
}

// declarations loads pkg and every package of a module it imports whose
// source names WithState or RegisterMigration, with types, and collects
// their declarations.
func declarations(dir string, env []string, tags, pkg string) (*decls, error) {
	cfg := &packages.Config{Dir: dir, Env: env, Mode: packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule}
	if tags != "" {
		cfg.BuildFlags = []string{"-tags", tags}
	}
	roots, err := packages.Load(cfg, pkg)
	if err != nil {
		return nil, err
	}
	var paths []string
	packages.Visit(roots, nil, func(p *packages.Package) {
		if p.Module != nil && p.PkgPath != actorsPath && mentions(p.GoFiles) {
			paths = append(paths, p.PkgPath)
		}
	})
	d := &decls{states: map[string][]string{}}
	if len(paths) == 0 {
		return d, nil
	}
	typed := &packages.Config{Dir: dir, Env: env, BuildFlags: cfg.BuildFlags,
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo}
	pkgs, err := packages.Load(typed, paths...)
	if err == nil && len(pkgs) != len(paths) {
		err = fmt.Errorf("%d of the %d packages %v loaded with their types (is go on PATH the tamago-go compiler?)", len(pkgs), len(paths), paths)
	}
	if err != nil {
		return nil, err
	}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			return nil, fmt.Errorf("%s: %v", p.PkgPath, e)
		}
		for _, f := range p.Syntax {
			if err := d.file(p.Fset, p.TypesInfo, f); err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

func mentions(files []string) bool {
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err == nil && (strings.Contains(string(b), "WithState") || strings.Contains(string(b), "RegisterMigration")) {
			return true
		}
	}
	return false
}

// file collects the calls of actors.WithState and RegisterMigration in f.
func (d *decls) file(fset *token.FileSet, info *types.Info, f *ast.File) error {
	var err error
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || err != nil {
			return err == nil
		}
		id := calleeIdent(call.Fun)
		if id == nil {
			return true
		}
		obj, ok := info.Uses[id].(*types.Func)
		if !ok || obj.Pkg() == nil || obj.Pkg().Path() != actorsPath {
			return true
		}
		inst := info.Instances[id]
		at := fset.Position(call.Pos())
		switch obj.Name() {
		case "WithState":
			if generic(inst.TypeArgs) {
				return true
			}
			tv := info.Types[call.Args[0]]
			if tv.Value == nil || tv.Value.Kind() != constant.String {
				err = fmt.Errorf("%s: actors.WithState: the state name must be a constant, for the build to record it", at)
				return false
			}
			name := constant.StringVal(tv.Value)
			if name == "" || strings.IndexFunc(name, func(r rune) bool { return r <= ' ' || r >= 0x7f || r == '=' || r == '@' }) >= 0 {
				err = fmt.Errorf("%s: actors.WithState: state name %q: want printable ASCII without space, @ or = (the board refuses it too)", at, name)
				return false
			}
			var l string
			if l, err = encode(inst.TypeArgs.At(0), at); err == nil && !slices.Contains(d.states[name], l) {
				d.states[name] = append(d.states[name], l)
			}
		case "RegisterMigration":
			if generic(inst.TypeArgs) { // unrecorded, a running image would refuse what it converts
				err = fmt.Errorf("%s: actors.RegisterMigration with type parameters: call it with the concrete types, for the build to record it", at)
				return false
			}
			var from, to string
			if from, err = encode(inst.TypeArgs.At(0), at); err == nil {
				if to, err = encode(inst.TypeArgs.At(1), at); err == nil && !slices.Contains(d.migs, [2]string{from, to}) {
					d.migs = append(d.migs, [2]string{from, to})
				}
			}
		}
		return err == nil
	})
	return err
}

func calleeIdent(e ast.Expr) *ast.Ident {
	switch f := e.(type) {
	case *ast.IndexExpr:
		return calleeIdent(f.X)
	case *ast.IndexListExpr:
		return calleeIdent(f.X)
	case *ast.SelectorExpr:
		return f.Sel
	case *ast.Ident:
		return f
	}
	return nil
}

// generic reports type arguments that are the type parameters of a
// generic caller: its instantiations are found where it is called.
func generic(args *types.TypeList) bool {
	if args == nil {
		return true
	}
	for i := range args.Len() {
		if _, ok := args.At(i).(*types.TypeParam); ok {
			return true
		}
	}
	return false
}

func encode(t types.Type, at token.Position) (string, error) {
	l, err := layoutOf(t, t.String())
	if err == nil {
		var b []byte
		if b, err = l.Encode(); err == nil {
			return hex.EncodeToString(b), nil
		}
	}
	return "", fmt.Errorf("%s: %w", at, err)
}

var basicKinds = map[types.BasicKind]string{types.Bool: "bool", types.Int8: "int8", types.Int16: "int16",
	types.Int32: "int32", types.Int64: "int64", types.Uint8: "uint8", types.Uint16: "uint16", types.Uint32: "uint32",
	types.Uint64: "uint64", types.Float32: "float32", types.Float64: "float64", types.Complex64: "complex64",
	types.Complex128: "complex128"}

// layoutOf describes t as actors' reflect-based description does, with
// the same refusals (path names the field).
func layoutOf(t types.Type, path string) (*actors.Layout, error) {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if k, ok := basicKinds[u.Kind()]; ok {
			return &actors.Layout{Kind: k}, nil
		}
		return nil, fmt.Errorf("%w: %s is %s, which cannot be state", actors.ErrStateType, path, u)
	case *types.Array:
		e, err := layoutOf(u.Elem(), path+"[0]")
		if err != nil {
			return nil, err
		}
		return &actors.Layout{Kind: "array", Len: int(u.Len()), Elem: e}, nil
	case *types.Struct:
		l := &actors.Layout{Kind: "struct"}
		for i := range u.NumFields() {
			f := u.Field(i)
			if !f.Exported() && f.Name() != "_" {
				return nil, fmt.Errorf("%w: %s.%s is unexported", actors.ErrStateType, path, f.Name())
			}
			ft, err := layoutOf(f.Type(), path+"."+f.Name())
			if err != nil {
				return nil, err
			}
			lf := actors.LayoutField{Name: f.Name(), Type: ft}
			if was, ok := strings.CutPrefix(reflect.StructTag(u.Tag(i)).Get("hr"), "was="); ok && was != "" {
				lf.Was = strings.Split(was, ",")
			}
			l.Fields = append(l.Fields, lf)
		}
		return l, nil
	}
	return nil, fmt.Errorf("%w: %s is %s: a pointer or a reference does not survive a restart", actors.ErrStateType, path, t.Underlying())
}
