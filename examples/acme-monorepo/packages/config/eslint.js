export default [{ rules: { 'no-console': 'warn' } }];
