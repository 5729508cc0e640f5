/** @type {import('next').NextConfig} */
const nextConfig = {
  // ffmpeg/ffprobe installers locate their binaries with a dynamic require that bundlers cannot follow.
  serverExternalPackages: ["@ffmpeg-installer/ffmpeg", "@ffprobe-installer/ffprobe", "@electric-sql/pglite", "pg", "pino"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
