FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci
COPY src ./src
COPY protocols ./protocols
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
ENV HADRON_LISTEN_HOST=0.0.0.0 HADRON_DATA_DIR=/var/lib/hadron
VOLUME /var/lib/hadron
EXPOSE 8123 9000 9004 9005 3218
ENTRYPOINT ["node", "--enable-source-maps", "dist/src/cli/hadron.js"]
CMD ["server"]
