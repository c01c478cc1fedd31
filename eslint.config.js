import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'docs/api/**', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['**/cli/**', '**/bin/**', 'scripts/**', 'examples/**', 'bench/**', '**/test/**', '**/bench/**', 'test-support/**'],
    rules: { 'no-console': 'off' },
  },
);
