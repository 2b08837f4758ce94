// Copies node and credential icons next to the compiled code, where n8n looks for `file:` icons.
const path = require('path');
const { task, src, dest } = require('gulp');

task('build:icons', copyIcons);

function copyIcons() {
	src('nodes/**/*.{png,svg}').pipe(dest(path.resolve('dist', 'nodes')));
	return src('credentials/**/*.{png,svg}').pipe(dest(path.resolve('dist', 'credentials')));
}
